package io.concord.engine.metrics;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * While a progress bar is drawn, log lines on the console (Log4j {@link ConsoleAppender}s, stderr) first erase the
 * bar, exactly like the run's own messages through {@link BarConsole}; otherwise a log line would start right after
 * the bar's text on the same terminal line. The console appenders are wrapped for the bar's lifetime and put back on
 * {@link #close()}. Without Log4j 2 core as the logging backend nothing is changed.
 */
final class BarAwareLogging implements AutoCloseable {

    private final List<Runnable> undo = new ArrayList<>();
    private LoggerContext context;

    static BarAwareLogging install(BarConsole console) {
        BarAwareLogging logging = new BarAwareLogging();
        if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
            return logging;
        }
        logging.context = ctx;
        Configuration config = ctx.getConfiguration();
        Set<LoggerConfig> loggers = new LinkedHashSet<>(config.getLoggers().values());
        loggers.add(config.getRootLogger());
        for (LoggerConfig logger : loggers) {
            for (AppenderRef ref : List.copyOf(logger.getAppenderRefs())) {
                Appender appender = logger.getAppenders().get(ref.getRef());
                if (appender instanceof ConsoleAppender) {
                    Erasing erasing = new Erasing(appender, console);
                    erasing.start();
                    Level level = ref.getLevel();
                    Filter filter = ref.getFilter();
                    logger.removeAppender(appender.getName());
                    logger.addAppender(erasing, level, filter);
                    logging.undo.add(() -> {
                        logger.removeAppender(erasing.getName());
                        logger.addAppender(appender, level, filter);
                        erasing.stop();
                    });
                }
            }
        }
        ctx.updateLoggers();
        return logging;
    }

    @Override
    public void close() {
        undo.forEach(Runnable::run);
        undo.clear();
        if (context != null) {
            context.updateLoggers();
        }
    }

    /** Erases the bar, then hands the event to the console appender it wraps. */
    private static final class Erasing extends AbstractAppender {

        private final Appender delegate;
        private final BarConsole console;

        Erasing(Appender delegate, BarConsole console) {
            super("concord-bar-aware-" + delegate.getName(), null, null, true, Property.EMPTY_ARRAY);
            this.delegate = delegate;
            this.console = console;
        }

        @Override
        public void append(LogEvent event) {
            synchronized (console) {
                console.eraseBar();
                delegate.append(event);
            }
        }
    }
}
