"""The ledger (台账) screen: pick a ledger, a region and a period, preview it, export it to Excel."""
