"""The Managed Behaviour Policy as versioned data (issue 17; DESIGN.md rule 13)."""
