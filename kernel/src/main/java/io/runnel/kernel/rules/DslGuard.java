package io.runnel.kernel.rules;

import java.util.Set;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Refuses, with its line, any use of a blocked class (as receiver, constructor or class literal) or of a member
 * that reaches outside the rule DSL from any object ({@code execute}, {@code getClass}, {@code metaClass}, ...).
 * A guard against mistakes, not a sandbox.
 */
final class DslGuard extends CompilationCustomizer {

    private final Set<String> blockedClasses;
    private final Set<String> blockedMembers;

    DslGuard(Set<String> blockedClasses, Set<String> blockedMembers) {
        super(CompilePhase.CANONICALIZATION);
        this.blockedClasses = blockedClasses;
        this.blockedMembers = blockedMembers;
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                check(source, call, call.getMethodAsString(), "method");
                super.visitMethodCallExpression(call);
            }

            @Override
            public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
                checkClass(source, call, call.getOwnerType());
                check(source, call, call.getMethod(), "method");
                super.visitStaticMethodCallExpression(call);
            }

            @Override
            public void visitPropertyExpression(PropertyExpression property) {
                check(source, property, property.getPropertyAsString(), "property");
                super.visitPropertyExpression(property);
            }

            @Override
            public void visitConstructorCallExpression(ConstructorCallExpression call) {
                checkClass(source, call, call.getType());
                super.visitConstructorCallExpression(call);
            }

            @Override
            public void visitClassExpression(ClassExpression expression) {
                checkClass(source, expression, expression.getType());
                super.visitClassExpression(expression);
            }
        }.visitClass(classNode);
    }

    private void check(SourceUnit source, ASTNode node, String member, String kind) {
        if (member != null && blockedMembers.contains(member)) {
            error(source, node, kind + " '" + member + "' is not allowed in rules");
        }
    }

    private void checkClass(SourceUnit source, ASTNode node, ClassNode type) {
        if (blockedClasses.contains(type.getName())) {
            error(source, node, type.getNameWithoutPackage() + " is not allowed in rules");
        }
    }

    private static void error(SourceUnit source, ASTNode node, String message) {
        source.getErrorCollector().addError(new SyntaxException(message + " (rules may only use the rule DSL)",
                node.getLineNumber(), node.getColumnNumber(), node.getLastLineNumber(), node.getLastColumnNumber()), source);
    }
}
