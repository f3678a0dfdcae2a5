"""IIIF: level-0 image services (tiles), Presentation 3 manifests and collections."""
