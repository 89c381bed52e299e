"""Relations inferred from a table's own values: the arithmetic of tables no template describes.

A printed table has no formulas, but its numbers keep the pattern their author computed: a 小计
column that is the sum of the columns before it, a 结余 that is 拨付 − 支出, a 占比 that is a share of
the row's first amount, a 合计 row over the rows below it. Following the spreadsheet-smell work
(AmCheck/CACheck, TaCLe, ExceLint), a relation is *inferred* when most of the places it covers
reproduce it within printed precision, and the places that break it become findings.

* :mod:`.grid`: numeric cells of every table with their intervals and roles (amount / percent,
  total / 其中 rows, label columns left out);
* :mod:`.candidates`: candidate relations per table (column sums and differences, row-block sums,
  ratio columns and share rows, 其中 ≤ parent);
* :mod:`.support`: each candidate evaluated at every place it covers (vectorised joins), and the
  acceptance rule (:data:`MIN_HOLDS`, :data:`MIN_SHARE`);
* :mod:`.infer`: one call for everything, cached per cells frame so the IT05x checks share it.
"""

from toolkit.checks.relations.infer import Inference, infer

__all__ = ["Inference", "infer"]
