"""The video wall: tiles, their decoder, the wall's layouts and tours."""
