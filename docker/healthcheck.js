// Docker HEALTHCHECK of the Parley images: GET /health/live on the container's own PORT.
// Plain node (the slim base image has no curl or wget); exits 0 when healthy, 1 otherwise.
'use strict';
const http = require('node:http');

const port = Number(process.env.PORT);
const req = http.get({ host: '127.0.0.1', port, path: '/health/live', timeout: 2500 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
