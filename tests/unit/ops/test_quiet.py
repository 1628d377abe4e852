"""bot/ops/quiet.py on lines `make run` really printed (Rasa 3.6, rasa_sdk, gunicorn)."""

from bot.ops.quiet import quiet

SP = "/work/x/.venv/lib/python3.10/site-packages"
START = [
    f"{SP}/sanic_cors/extension.py:39: DeprecationWarning: distutils Version classes are deprecated.\n",
    "  SANIC_VERSION = LooseVersion(sanic_version)\n",
    f"{SP}/matplotlib/fontconfig_pattern.py:66: PyparsingDeprecationWarning: 'setParseAction' deprecated\n",
    "  ).setParseAction(self._family)\n",
    "2026-12-02 00:01:39 INFO     root  - Starting Rasa server on http://127.0.0.1:5105\n",
    f"{SP}/rasa/core/tracker_store.py:1166: SADeprecationWarning: Calling URL() directly is deprecated\n",
    "  return sa.engine.url.URL(\n",
    f"\x1b[93m{SP}/rasa/shared/utils/io.py:100: FutureWarning: something later\n",
    "2026-12-02 00:01:39 INFO     rasa.core.processor  - Loading model models/x.tar.gz...\n",
]


def test_deprecation_warnings_of_installed_packages_are_dropped_with_their_source_line():
    assert list(quiet(START)) == [START[4], START[8]]


def test_errors_and_other_warnings_pass():
    lines = [
        "Traceback (most recent call last):\n",
        f'  File "{SP}/rasa/core/agent.py", line 1, in load\n',
        "    raise ValueError('x')\n",
        "ValueError: x\n",
        f"{SP}/rasa/shared/utils/io.py:100: UserWarning: Action 'utter_x' is used but not defined\n",
        "  More info at https://rasa.com/docs\n",
        "/work/x/actions/handoff.py:12: DeprecationWarning: our own code stays visible\n",
        "  old_call()\n",
        "2026-12-02 ERROR    rasa.core.actions  - Failed to run custom action\n",
    ]
    assert list(quiet(lines)) == lines


def test_an_indented_line_after_a_normal_line_is_kept():
    lines = [f"{SP}/a.py:1: DeprecationWarning: x\n", "  src\n", "\n", "  indented log line\n"]
    assert list(quiet(lines)) == ["\n", "  indented log line\n"]
