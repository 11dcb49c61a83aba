package org.kotekanj.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.io.Serial;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Routes the libraries that log through SLF4J (jHDF, the HTTP server) into our {@link Log}, so their warnings and
 * errors appear in the same stream and format as ours, and SLF4J stops printing "no providers were found" to every
 * command that writes HDF5. Libraries are quiet below WARN: their INFO chatter is not what an operator reads; jHDF's
 * writer is quiet below ERROR, since its one warning ("writing files is in alpha") comes with every file we write and
 * our tests open every file we write with h5py.
 */
public final class Slf4jToLog implements SLF4JServiceProvider
{
    private static final String JHDF_WRITER = "io.jhdf.WritableHdfFile";

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory loggerFactory = name -> loggers.computeIfAbsent(name, LibraryLogger::new);
    private final IMarkerFactory markerFactory = new BasicMarkerFactory();
    private final MDCAdapter mdcAdapter = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory()
    {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory()
    {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter()
    {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion()
    {
        return "2.0.99";
    }

    @Override
    public void initialize()
    {
    }

    /** One library logger: WARN and ERROR become lines of our log, the rest is dropped. */
    private static final class LibraryLogger extends LegacyAbstractLogger
    {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient Log log;

        LibraryLogger(final String name)
        {
            this.name = name;
            this.log = new Log(name, JHDF_WRITER.equals(name) ? Log.Level.ERROR : Log.Level.WARN);
        }

        @Override
        public boolean isTraceEnabled()
        {
            return false;
        }

        @Override
        public boolean isDebugEnabled()
        {
            return false;
        }

        @Override
        public boolean isInfoEnabled()
        {
            return false;
        }

        @Override
        public boolean isWarnEnabled()
        {
            return log.enabled(Log.Level.WARN);
        }

        @Override
        public boolean isErrorEnabled()
        {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName()
        {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(
            final Level level, final Marker marker, final String pattern, final Object[] arguments,
            final Throwable throwable)
        {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            if (throwable != null)
            {
                message = message + ": " + throwable;
            }
            if (level == Level.ERROR)
            {
                log.error(message);
            }
            else if (level == Level.WARN && isWarnEnabled())
            {
                log.warn(message);
            }
        }
    }
}
