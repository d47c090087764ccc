"""Importers: portfolios from other systems → a new elenefolio portfolio folder."""
