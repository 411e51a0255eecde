"""instance-action list / show: what happened to a server, step by step."""

from cliff import lister, show

from migrator.client import http, lookup, output

_COLUMNS = [('Request ID', 'request_id'), ('Action', 'action'),
            ('Start Time', 'start_time'), ('User ID', 'user_id'),
            ('Message', 'message')]


class InstanceActionList(lister.Lister):
    """List the actions taken on a server, newest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('server', help='Server name or ID.')
        return parser

    def take_action(self, args):
        client = self.app.client
        server = lookup.find_server(client, args.server)
        actions = client.get('/servers/%s/os-instance-actions'
                             % server['id'])['instanceActions']
        return output.listing(actions, _COLUMNS)


class InstanceActionShow(show.ShowOne):
    """Show one action of a server with its events (with each event's host
    and details when the caller may read them)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('server', help='Server name or ID.')
        parser.add_argument('request_id', metavar='request-id',
                            help='Request ID of the action (see instance-action list).')
        return parser

    def take_action(self, args):
        client = self.app.client
        server = lookup.find_server(client, args.server)
        try:
            action = client.migrator.get('/servers/%s/actions/%s' % (
                server['id'], args.request_id))['action']
        except http.ApiError as error:
            if error.status != 403:
                raise
            action = client.get('/servers/%s/os-instance-actions/%s' % (
                server['id'], args.request_id))['instanceAction']
        return output.show(action)
