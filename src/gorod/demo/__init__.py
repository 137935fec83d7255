"""Everything that builds the demo city: its city file, accounts, historical reports and the demo content of
every app, loaded by `gorod seed_demo`. It sits above every app and no app imports it, so each app's
folder shows only its domain and demo data can reach any app's services."""
