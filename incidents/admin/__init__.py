"""The incidents on the staff's pages, one module per area:

- `incident_reports`: the categories, the reporters, the reports and their import;
- `incident_pictures`: the week's and the year's incident picture, publishing
  their counts, and the link from a Friday deployment to its week's;
- `priorities`: the districts prioritised for a quarter;
- `feedback`: a partner's page of what became of their reports.
"""

from . import feedback, incident_pictures, incident_reports, priorities

__all__ = ["feedback", "incident_pictures", "incident_reports", "priorities"]
