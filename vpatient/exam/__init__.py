"""The SSH exam: exam folders, the exam app, the results store and the SSH server."""
