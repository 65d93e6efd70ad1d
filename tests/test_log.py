import io
import logging
import re

import pytest

from rnn_lesson import log

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (\w+) *(.*)$")


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture(autouse=True)
def restore_package_logger():
    logger = logging.getLogger(log.PACKAGE_LOGGER)
    saved = logger.handlers[:], logger.level, logger.propagate
    yield
    logger.handlers[:], logger.level, logger.propagate = saved


def test_line_format_and_levels():
    stream = io.StringIO()
    log.setup_logging("warn", stream=stream)
    child = log.get_logger("rnn_lesson.model")
    child.info("hidden")
    child.warning("shown %d", 1)
    child.error("also shown")
    lines = stream.getvalue().splitlines()
    assert [LINE.match(line).groups() for line in lines] == [("WARNING", "shown 1"), ("ERROR", "also shown")]
    assert "\x1b[" not in stream.getvalue()


def test_info_pads_the_level_to_five_characters():
    stream = io.StringIO()
    log.setup_logging("info", stream=stream)
    log.get_logger().info("message")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d INFO  message\n", stream.getvalue())


@pytest.mark.parametrize("name, level", [("error", 40), ("WARN", 30), ("info", 20), ("debug", 10), ("trace", 5)])
def test_verbosity_names(name, level):
    assert log.setup_logging(name, stream=io.StringIO()).level == level


def test_trace_messages_show_only_at_trace():
    stream = io.StringIO()
    logger = log.setup_logging("debug", stream=stream)
    logger.log(log.TRACE, "fine detail")
    assert stream.getvalue() == ""
    log.setup_logging("trace", stream=stream)
    logger.log(log.TRACE, "fine detail")
    assert LINE.match(stream.getvalue()).groups() == ("TRACE", "fine detail")


def test_colour_only_on_a_terminal():
    terminal = FakeTerminal()
    log.setup_logging("info", stream=terminal)
    log.get_logger().info("green")
    assert "\x1b[32mINFO \x1b[0m green" in terminal.getvalue()


def test_calling_setup_twice_does_not_duplicate_lines():
    first, second = io.StringIO(), io.StringIO()
    log.setup_logging("info", stream=first)
    log.setup_logging("info", stream=second)
    log.get_logger().info("once")
    assert first.getvalue() == ""
    assert second.getvalue().count("once") == 1
    handlers = logging.getLogger(log.PACKAGE_LOGGER).handlers
    assert sum(isinstance(h, log.ConsoleHandler) for h in handlers) == 1


def test_default_stream_is_the_current_stderr(capsys):
    log.setup_logging("info")
    log.get_logger().info("to stderr")
    captured = capsys.readouterr()
    assert captured.out == "" and "INFO  to stderr" in captured.err


def test_get_logger_sets_up_info_output_once(capsys):
    logging.getLogger(log.PACKAGE_LOGGER).handlers.clear()
    log.get_logger().info("first")
    log.get_logger().info("second")
    err = capsys.readouterr().err
    assert err.count("first") == 1 and err.count("second") == 1


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown verbosity 'loud'.*error, warn, info, debug, trace"):
        log.setup_logging("loud")
    with pytest.raises(ValueError, match="logger name"):
        log.get_logger("numpy")
