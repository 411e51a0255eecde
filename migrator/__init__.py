"""migrator: a Nova-style compute control plane centred on cold migration."""

import warnings

# oslo.service imports eventlet at import time and warns about it; migrator
# never uses eventlet (its services run on threads).
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
