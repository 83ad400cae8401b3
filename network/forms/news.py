"""The news board (/actualites/): posts by the team and by CRPV/DD partners, feeds."""
