"""What every area of the interface shares: forms, lists, pickers, keys, header and footer.

Nothing here imports a feature package."""
