"""What Nova's views of a move share."""

#: The fields of a move that name a host: null for callers who may not see
#: hosts (os-migrations, a server's migrations).
HOST_FIELDS = ('source_node', 'source_compute', 'dest_node', 'dest_compute',
               'dest_host')
