"""Peer models across bureaus: the feature table, peer groups, detectors and pooled digit tests.

The PO0xx and DP0xx checks (``toolkit/checks/rules``) are thin wrappers over these modules:
``features`` (one row per bureau-year and feature), ``groups`` (whom a bureau is compared with),
``detectors`` (scikit-learn estimators: leave-one-out robust z and a multivariate pair) and
``digits`` (Benford first-two digits, last-two digits, round numbers, duplicated amounts).
"""

from __future__ import annotations

# The check registry imports the rule modules, which import this package's modules: loading the
# registry first keeps that cycle in one order whichever module a caller imports first.
import toolkit.checks  # noqa: F401
