"""The operator dashboard: plain HTML, CSS and JavaScript modules shipped
as package data and served by ``migrator.api.dashboard``."""
