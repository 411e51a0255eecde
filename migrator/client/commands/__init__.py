"""The commands of the `migrator` CLI, one module per entity."""
