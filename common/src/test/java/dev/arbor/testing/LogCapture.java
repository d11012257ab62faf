package dev.arbor.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** What one logger logs at INFO and above while an action runs (the logger's level is restored). */
public final class LogCapture {
  private LogCapture() {}

  /**
   * Runs {@code action} and returns the formatted messages logger {@code name} logged meanwhile.
   */
  public static List<String> during(String name, Runnable action) {
    List<String> lines = new CopyOnWriteArrayList<>();
    AbstractAppender capture =
        new AbstractAppender("capture-" + name, null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
          }
        };
    capture.start();
    Logger logger = (Logger) LogManager.getLogger(name);
    Level level = logger.getLevel();
    logger.addAppender(capture);
    logger.setLevel(Level.INFO);
    try {
      action.run();
    } finally {
      logger.removeAppender(capture);
      logger.setLevel(level);
    }
    return lines;
  }
}
