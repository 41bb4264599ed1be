package io.runnel.kernel.rules;

import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.transform.CompileStatic;
import groovy.transform.ThreadInterrupt;
import java.io.File;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.SecureASTCustomizer;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * Compiles rule scripts: {@link RuleScript} as the base class (the DSL), statically type-checked and compiled
 * ({@code @CompileStatic}, so a misspelt DSL call fails at load time with its line), with an interrupt check in
 * every loop and closure ({@code @ThreadInterrupt}, so a rule past its deadline stops), and imports and obviously
 * dangerous classes and members refused ({@link SecureASTCustomizer}, {@link DslGuard}). This keeps typos from calling {@code System.exit}; it
 * is NOT a sandbox: rules are configuration the operator trusts, never code from tenants.
 */
final class RuleCompiler {

    /** Classes a rule may not call, construct or name as a receiver. */
    private static final List<Class<?>> BLOCKED = List.of(System.class, Runtime.class, Thread.class, ThreadGroup.class,
            ProcessBuilder.class, Process.class, File.class, Files.class, Paths.class, Class.class, ClassLoader.class,
            URL.class, Socket.class, groovy.lang.GroovyShell.class, groovy.lang.GroovyClassLoader.class,
            groovy.util.Eval.class, InvokerHelper.class);
    private static final Set<String> BLOCKED_NAMES = Set.copyOf(BLOCKED.stream().map(Class::getName).toList());
    /** Methods and properties that reach outside the DSL from any object (GDK extensions, reflection). */
    private static final Set<String> BLOCKED_MEMBERS = Set.of("execute", "exit", "halt", "getClass", "class", "forName",
            "metaClass", "getMetaClass", "setMetaClass", "invokeMethod", "evaluate", "newInstance", "sleep", "wait",
            "notify", "notifyAll", "getClassLoader", "classLoader", "withWriter", "withOutputStream", "write", "text",
            "getText", "readLines", "eachLine", "newReader", "newWriter", "delete", "deleteDir");

    private final CompilerConfiguration configuration;

    RuleCompiler() {
        configuration = new CompilerConfiguration();
        configuration.setScriptBaseClass(RuleScript.class.getName());
        // the guard first: its errors carry line numbers, SecureASTCustomizer's (the backstop) do not
        configuration.addCompilationCustomizers(new DslGuard(BLOCKED_NAMES, BLOCKED_MEMBERS), secure(),
                new ASTTransformationCustomizer(ThreadInterrupt.class),
                new ASTTransformationCustomizer(CompileStatic.class));
    }

    private static SecureASTCustomizer secure() {
        SecureASTCustomizer secure = new SecureASTCustomizer();
        secure.setPackageAllowed(false);
        secure.setAllowedImports(List.of());
        secure.setAllowedStarImports(List.of());
        secure.setAllowedStaticImports(List.of());
        secure.setAllowedStaticStarImports(List.of());
        return secure;
    }

    /**
     * Compiles {@code source} into a new class (its own class loader, dropped with the rule set that uses it) and
     * creates the script; its top level has not run yet.
     */
    RuleScript compile(String file, String source) throws RuleException {
        try (GroovyClassLoader loader = new GroovyClassLoader(RuleScript.class.getClassLoader(), configuration)) {
            Class<?> type = loader.parseClass(new GroovyCodeSource(source, file, "/runnel/rules"), false);
            return (RuleScript) InvokerHelper.createScript(type, new Binding());
        } catch (MultipleCompilationErrorsException e) {
            throw firstError(file, e);
        } catch (java.io.IOException | RuntimeException e) {
            throw new RuleException(file, Optional.empty(), "cannot compile: " + e.getMessage(), e);
        }
    }

    private static RuleException firstError(String file, MultipleCompilationErrorsException e) {
        List<? extends Message> errors = e.getErrorCollector().getErrors();
        Message first = errors.isEmpty() ? null : errors.get(0);
        if (first instanceof SyntaxErrorMessage syntax) {
            String reason = syntax.getCause().getOriginalMessage();
            return new RuleException(file, Optional.of(syntax.getCause().getLine()), reason, e);
        }
        if (first instanceof ExceptionMessage exception) {
            Exception cause = exception.getCause();
            return new RuleException(file, RuleErrors.lineOf(cause, file), RuleErrors.reason(cause), e);
        }
        return new RuleException(file, Optional.empty(), e.getMessage().strip(), e);
    }
}
