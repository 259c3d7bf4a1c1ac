"""The desktop's feeds in a process of their own.

A province-scale full sync is minutes of Python work: decoding pages, validating
records, writing them. In the desktop's process that work holds the interpreter
lock, and the GUI thread, which needs the lock for every paint and every model
call, would wait behind it. So the desktop starts `commandcenter collect --report`
as a child: it polls the data center (starting the embedded one when none is
configured), writes the shared store and sends the outbox; the desktop only reads.

wire.py is the message format, parent.py the desktop's side (CollectorProcess),
child.py the collector's (serve_desktop).
"""
