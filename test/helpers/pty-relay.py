"""Run a command on a new pseudo-terminal and relay it: our stdin -> the terminal, the terminal -> our stdout.

Used by test/helpers/pty.ts to drive interactive coldstake prompts (/dev/tty, raw mode) from vitest.
Exit status: the command's (128 + signal when killed).
"""
import os
import pty
import select
import sys

argv = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

stdin_fd = sys.stdin.fileno()
out = sys.stdout.buffer
stdin_open = True
while True:
    watch = [fd] + ([stdin_fd] if stdin_open else [])
    ready, _, _ = select.select(watch, [], [], 0.2)
    if fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b''
        if not data:
            break
        out.write(data)
        out.flush()
    if stdin_open and stdin_fd in ready:
        data = os.read(stdin_fd, 4096)
        if not data:
            stdin_open = False
        else:
            os.write(fd, data)

_, status = os.waitpid(pid, 0)
if os.WIFEXITED(status):
    sys.exit(os.WEXITSTATUS(status))
sys.exit(128 + os.WTERMSIG(status))
