import { describe, expect, it } from 'vitest';
import { dependencyOutage, registerDependencyPeers } from './dependency-outage';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('dependencyOutage', () => {
  it.each([
    [withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'upstream'],
    [
      Object.assign(new Error('query failed'), { driverError: withCode('connect ECONNREFUSED', 'ECONNREFUSED') }),
      'upstream',
    ],
    [withCode('terminating connection due to administrator command', '57P01'), 'postgres'],
    [withCode('the database system is starting up', '57P03'), 'postgres'],
    [withCode('sorry, too many clients already', '53300'), 'postgres'],
    [new Error('timeout exceeded when trying to connect'), 'postgres'],
    [new Error('Connection terminated unexpectedly'), 'postgres'],
    [new Error('Driver not Connected'), 'postgres'],
    [Object.assign(new Error('query failed'), { driverError: withCode('x', '08006') }), 'postgres'],
    [new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'redis'],
    [
      Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' }),
      'redis',
    ],
    [Object.assign(new Error('broker down'), { name: 'KafkaJSConnectionError' }), 'kafka'],
  ])('classifies %s as a %s outage', (error, dependency) => {
    expect(dependencyOutage(error)).toBe(dependency);
  });

  it('names the peer of a bare socket error from the registered servers', () => {
    registerDependencyPeers({ postgres: ['postgres://u:p@127.0.0.1:45432/db'], redis: ['redis://127.0.0.1:46379'] });
    const refused = (port: number) =>
      Object.assign(withCode('connect ECONNREFUSED', 'ECONNREFUSED'), { address: '127.0.0.1', port });
    expect(dependencyOutage(refused(45432))).toBe('postgres');
    expect(dependencyOutage(refused(46379))).toBe('redis');
    expect(dependencyOutage(refused(1))).toBe('upstream');
  });

  it.each([
    [withCode('duplicate key value violates unique constraint', '23505')],
    [withCode('syntax error at or near "x"', '42601')],
    [new TypeError('undefined is not a function')],
    ['a string'],
    [null],
  ])('leaves a bug or a bad query alone: %s', (error) => {
    expect(dependencyOutage(error)).toBeUndefined();
  });
});
