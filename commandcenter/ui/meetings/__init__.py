"""Video meetings: composing, launching and following them."""
