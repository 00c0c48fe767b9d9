"""Steps of the demo loader, one file per owning module; each writes only through its services."""
