import { parseArgs } from 'node:util';
import { startFloorHop, type FloorRole } from './floor-hop';

/** `node floor-hop.cli.js --role relay|reframe --upstream http://127.0.0.1:P --port N`: one floor hop, its own process. */
const { values } = parseArgs({
  options: { role: { type: 'string' }, upstream: { type: 'string' }, port: { type: 'string' } },
});
const role = values.role as FloorRole;
if ((role !== 'relay' && role !== 'reframe') || !values.upstream || !values.port) {
  process.stderr.write('usage: floor-hop --role relay|reframe --upstream URL --port N\n');
  process.exit(64);
}
void startFloorHop(role, values.upstream, Number(values.port)).then(() => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
