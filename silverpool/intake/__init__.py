"""Intake: a unit's Excel submission becomes one commit on a branch, a pull-request body and a
return file for the unit (see `cli.py` for the command, `run.py` for the steps)."""
