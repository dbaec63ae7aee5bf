"""Roster import (花名册导入): read a federation's spreadsheet, map its columns, check every row.

Plain domain code with no database of the app's own, so the laptop
(``app.services.roster_import``) and the server (``server.roster_import``) run the
same reading, mapping and checks and differ only in where the clean rows go.

- ``reader``: xlsx and csv (UTF-8, UTF-8 with BOM, GBK/GB18030) into header + rows.
- ``mapping``: which column holds which field, guessed from the usual Chinese headers.
- ``values``: category, level and economic-status texts as rosters write them.
- ``validate``: every row checked with the rules of ``app.domain``; clean rows
  grouped into households; the report with Excel row numbers and Chinese reasons.
"""
