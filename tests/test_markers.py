"""`-m "not browser"` starts no Chromium: a test that asks for the browser without the marker
is refused when the tests are collected, before anything runs."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

BROWSER_TESTS = """
import pytest

def test_forgot_the_marker(browser):
    pass

@pytest.mark.browser
def test_marked(make_page):
    pass

def test_no_browser():
    pass
"""


def test_a_browser_test_without_the_marker_is_refused(pytester: pytest.Pytester):
    pytester.makepyfile(test_pages=BROWSER_TESTS)
    result = pytester.runpytest("-p", "tests.conftest", "-m", "not browser")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*without @pytest.mark.browser: test_pages.py::"
                                 "test_forgot_the_marker"])
    assert "test_marked" not in result.stderr.str()


def test_not_browser_deselects_every_test_that_can_start_chromium(pytester: pytest.Pytester):
    pytester.makepyfile(test_pages=BROWSER_TESTS.replace("def test_forgot_the_marker",
                                                         "@pytest.mark.browser\ndef test_f"))
    result = pytester.runpytest("-p", "tests.conftest", "-m", "not browser", "-v")
    result.assert_outcomes(passed=1, deselected=2)
    result.stdout.fnmatch_lines(["*test_no_browser PASSED*"])
