import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantSchemaName } from '@parley/tenancy';
import { OpenAiTranscriptionServer } from '@parley/testing';
import { type Caller, SttStack, toneWav } from '../../testing/stt-stack';
import { AudioPurgeJob } from './usecases/purge-expired-audio/audio-purge.job';

describe('audio retention: off by default, a tenant setting to keep uploads, purged by a periodic pass', () => {
  let stack: SttStack;
  let upstream: OpenAiTranscriptionServer;
  const wav = toneWav(1);

  const kept = async (tenantId: string) =>
    stack.pg.query<{ usage_id: string; format: string; audio: Buffer; bytes: number }[]>(
      `SELECT usage_id, format, audio, bytes FROM ${tenantSchemaName(tenantId)}.stt_audio ORDER BY created_at`,
    );

  beforeAll(async () => {
    upstream = await OpenAiTranscriptionServer.start({ apiKey: null });
    // A transcription engine without the embedded worker (a local OpenAI-compatible server); no timer: passes run by hand.
    stack = await SttStack.start(
      { STT_UPSTREAM_BASE_URL: upstream.baseUrl, STT_AUDIO_PURGE_INTERVAL_MS: '0' },
      { engine: false },
    );
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await upstream?.stop();
  });

  it('stores nothing by default: the setting reads off, the upload is transcribed and not kept', async () => {
    const admin = await stack.caller('enterprise', 'admin');
    expect((await stack.json(admin, 'GET', '/retention')).body).toEqual({ enabled: false, days: 30, keptFiles: 0 });
    const res = await stack.upload(admin, wav);
    expect(res.status, res.text).toBe(200);
    expect(await kept(admin.tenantId)).toEqual([]);
  });

  describe('turned on by an admin', () => {
    let admin: Caller;

    beforeAll(async () => {
      admin = await stack.caller('enterprise', 'owner');
      const res = await stack.json(admin, 'PUT', '/retention', { enabled: true, days: 7 });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ enabled: true, days: 7, keptFiles: 0 });
    });

    it('keeps each transcribed upload, byte for byte, with its usage id', async () => {
      const res = await stack.upload(admin, wav, { fields: { response_format: 'verbose_json' } });
      expect(res.status, res.text).toBe(200);
      const rows = await kept(admin.tenantId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ usage_id: res.body.usageId, format: 'wav', bytes: wav.length });
      expect(rows[0]?.audio.equals(wav)).toBe(true);
      expect((await stack.json(admin, 'GET', '/retention')).body.keptFiles).toBe(1);
    });

    it('keeps nothing of a refused upload (too long for the plan)', async () => {
      await stack.setMaxAudioSeconds('pro', 1);
      const pro = await stack.caller('pro', 'admin');
      expect((await stack.json(pro, 'PUT', '/retention', { enabled: true })).status).toBe(200);
      expect((await stack.upload(pro, toneWav(3))).status).toBe(413);
      expect(await kept(pro.tenantId)).toEqual([]);
    });

    it('another tenant cannot see the setting or the files, and its own uploads are not kept', async () => {
      const other = await stack.caller('enterprise', 'admin');
      expect((await stack.json(other, 'GET', '/retention')).body).toEqual({ enabled: false, days: 30, keptFiles: 0 });
      expect((await stack.upload(other, wav)).status).toBe(200);
      expect(await kept(other.tenantId)).toEqual([]);
      expect(await kept(admin.tenantId)).toHaveLength(1);
    });

    it('a member cannot read or change it, nor can an API key', async () => {
      const member: Caller = { ...admin, userId: randomUUID(), role: 'member' };
      const apiKey: Caller = { tenantId: admin.tenantId, apiKeyId: randomUUID(), scopes: ['stt:write'] };
      for (const caller of [member, apiKey]) {
        const put = await stack.json(caller, 'PUT', '/retention', { enabled: false });
        expect(put.status).toBe(403);
        expect(put.body.error.code).toBe('forbidden');
        expect((await stack.json(caller, 'GET', '/retention')).status).toBe(403);
      }
      expect((await stack.json(admin, 'GET', '/retention')).body).toMatchObject({ enabled: true, keptFiles: 1 });
    });

    it('refuses a bad setting (400)', async () => {
      for (const body of [{ enabled: 'yes' }, { enabled: true, days: 0 }, { enabled: true, days: 5000 }, { days: 3 }]) {
        const res = await stack.json(admin, 'PUT', '/retention', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
      }
    });

    it('the purge pass deletes files older than the tenant’s days and keeps the rest', async () => {
      expect((await stack.upload(admin, wav)).status).toBe(200);
      const schema = tenantSchemaName(admin.tenantId);
      await stack.pg.query(
        `UPDATE ${schema}.stt_audio SET created_at = now() - interval '8 days'
          WHERE id = (SELECT id FROM ${schema}.stt_audio ORDER BY created_at LIMIT 1)`,
      );
      const removed = await stack.app.get(AudioPurgeJob).runOnce();
      expect(removed[admin.tenantId]).toBe(1);
      expect(await kept(admin.tenantId)).toHaveLength(1);
      expect(await stack.app.get(AudioPurgeJob).runOnce()).not.toHaveProperty(admin.tenantId);
    });

    it('turning it off deletes what was kept, and nothing more is stored', async () => {
      const off = await stack.json(admin, 'PUT', '/retention', { enabled: false });
      expect(off.body).toEqual({ enabled: false, days: 30, keptFiles: 0 });
      expect((await stack.upload(admin, wav)).status).toBe(200);
      expect(await kept(admin.tenantId)).toEqual([]);
    });
  });
});
