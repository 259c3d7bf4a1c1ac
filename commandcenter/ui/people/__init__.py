"""The people at the desk: sign-in and the lock, the duty roster, the duty log and the
shift handover."""
