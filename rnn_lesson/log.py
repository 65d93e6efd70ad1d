"""Timestamped, levelled console messages for training runs.

Every line reads ``2026-11-23 10:15:02 INFO  message``; the level name is
coloured only when the stream is a terminal. Verbosity names map onto the
levels of Python's ``logging``:

    error -> ERROR (40)    warn -> WARNING (30)    info -> INFO (20)
    debug -> DEBUG (10)    trace -> TRACE (5, a level added here)

A level shows its own messages and those of every level above it, so
``"warn"`` shows warnings and errors. Lines are written through
``tqdm.write``, so a log line never breaks a progress bar in the terminal.
"""
import logging
import sys
import time

from tqdm import tqdm

TRACE = 5
logging.addLevelName(TRACE, "TRACE")
VERBOSITY = {
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": TRACE,
}
_COLOURS = {TRACE: "\x1b[35m", logging.DEBUG: "\x1b[34m", logging.INFO: "\x1b[32m",
            logging.WARNING: "\x1b[33m", logging.ERROR: "\x1b[31m", logging.CRITICAL: "\x1b[1;31m"}
_RESET = "\x1b[0m"
_DATE = "%Y-%m-%d %H:%M:%S"
_PLAIN = logging.Formatter()
PACKAGE_LOGGER = "rnn_lesson"


class ConsoleHandler(logging.Handler):
    """Writes one formatted line per record to ``stream``.

    With ``stream=None`` it writes to whatever ``sys.stderr`` is at the time of
    the message (Jupyter and pytest replace it after import).
    """

    def __init__(self, stream=None):
        super().__init__()
        self._stream = stream

    @property
    def stream(self):
        return sys.stderr if self._stream is None else self._stream

    def format(self, record):
        """``date time LEVEL message``, the level padded to 5 and coloured on a terminal."""
        stamp = time.strftime(_DATE, time.localtime(record.created))
        level = f"{record.levelname:<5}"
        if _is_terminal(self.stream):
            level = f"{_COLOURS.get(record.levelno, '')}{level}{_RESET}"
        line = f"{stamp} {level} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + _PLAIN.formatException(record.exc_info)
        return line

    def emit(self, record):
        try:
            tqdm.write(self.format(record), file=self.stream)
        except Exception:  # the logging convention: report, never raise
            self.handleError(record)


def _is_terminal(stream):
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def setup_logging(verbosity="info", stream=None):
    """Send the package's messages at ``verbosity`` and above to ``stream`` (default: stderr).

    ``verbosity`` is one of error, warn, info, debug, trace (any case).
    Calling it again replaces the handler it installed before, so lines are
    never printed twice. Returns the package logger.
    """
    if not isinstance(verbosity, str) or verbosity.lower() not in VERBOSITY:
        raise ValueError(f"unknown verbosity {verbosity!r}; choose one of: {', '.join(VERBOSITY)}")
    logger = logging.getLogger(PACKAGE_LOGGER)
    for handler in [h for h in logger.handlers if isinstance(h, ConsoleHandler)]:
        logger.removeHandler(handler)
    logger.addHandler(ConsoleHandler(stream))
    logger.setLevel(VERBOSITY[verbosity.lower()])
    logger.propagate = False  # our handler prints it; the root logger must not print it again
    return logger


def get_logger(name=PACKAGE_LOGGER):
    """The logger ``name`` (a child of ``rnn_lesson`` or the package logger itself).

    The first call sets up console output at ``info`` unless ``setup_logging``
    ran already, so a notebook shows training reports without any set-up.
    """
    if name != PACKAGE_LOGGER and not name.startswith(PACKAGE_LOGGER + "."):
        raise ValueError(f"logger name must be {PACKAGE_LOGGER!r} or {PACKAGE_LOGGER}.<something>, got {name!r}")
    package = logging.getLogger(PACKAGE_LOGGER)
    if not any(isinstance(h, ConsoleHandler) for h in package.handlers):
        setup_logging("info")
    return logging.getLogger(name)
