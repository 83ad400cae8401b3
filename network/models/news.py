"""The news board (replaces the Padlet): posts by the team and by CRPV/DD partners."""
