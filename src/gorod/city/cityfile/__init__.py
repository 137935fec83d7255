"""Reading and checking a city file (docs/city-config.md): every problem of a file at once, each with its
line and column, the path to the field and the value, in the words of cityfile.messages. The entry point
is parse.parse_city_file (city.services re-exports it with CityFileInvalid)."""
