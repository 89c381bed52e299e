"""The periodic screening job: a job file, incremental runs, run history and exit codes.

``yibao-audit screen --config job.toml`` reads :mod:`toolkit.job.config`; :func:`toolkit.pipeline.screen`
uses :mod:`~toolkit.job.cache` (what a previous run already did), :mod:`~toolkit.job.fingerprint`
and :mod:`~toolkit.job.diff` (new / recurring / changed / resolved), :mod:`~toolkit.job.history`
(the SQLite run history) and :mod:`~toolkit.job.outputs` (ranking and run.json);
:mod:`~toolkit.job.exitcodes` names what the command returns.
"""
