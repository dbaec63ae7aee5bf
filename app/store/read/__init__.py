"""The read side: one module per aggregate (households, persons, visits, projects) plus attachments.

These modules are the only code in ``app`` that knows what "not deleted"
means (``live``), what a registered person is, which visit is a person's latest
completed one, and which reads of full records are audited
(``persons.read_person_record``, ``households.read_household_record``).
Services call them with their session or connection, so a read joins the
caller's transaction; each function says which kind it takes.
"""
