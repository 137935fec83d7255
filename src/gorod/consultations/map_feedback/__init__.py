"""Map feedback (Commonplace): residents pin a point or draw a line or an area, choose a sentiment on five
steps, answer the module's own questions and add tags; others agree (once each, never "disagree"). The
module shows a sentiment heatmap by H3 cell and exports its visible contributions as GeoJSON without any
personal data. Staff enter paper responses, marked as such, and may hide a contribution with a reason
that is shown in its place."""
