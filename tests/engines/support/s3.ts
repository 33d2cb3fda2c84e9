// A real S3-compatible server for the tests: s3rver (pure JavaScript, from npm),
// listening on 127.0.0.1 and keeping its objects in a temporary folder.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";

export type LocalS3 = {
  endpoint: string;
  port: number;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop: () => Promise<void>;
  start: () => Promise<void>;
  dispose: () => Promise<void>;
};

export async function startLocalS3(bucket = "darkroom-test"): Promise<LocalS3> {
  const directory = await mkdtemp(path.join(tmpdir(), "darkroom-s3-"));
  let port = 0;
  let server: S3rver | undefined;
  const start = async () => {
    server = new S3rver({ address: "127.0.0.1", port, silent: true, directory, configureBuckets: [{ name: bucket }] });
    port = (await server.run()).port;
  };
  await start();
  const stop = async () => {
    await server?.close();
    server = undefined;
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    bucket,
    // s3rver accepts this fixed test pair.
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
