import type { Metadata } from "next";
import { AppShell, PageHeading } from "@/app/_components/app-shell";
import { modelLabel } from "@/app/_components/format";
import { requirePageUser } from "@/app/_components/session";
import { Studio } from "@/app/_components/studio/studio";
import { configuredModelId } from "@/lib/generation/models";
import { MAX_PROMPT_LENGTH, QUALITIES, STYLES } from "@/lib/jobs/input";
import { listJobs } from "@/lib/jobs/service";

export const metadata: Metadata = { title: "Studio" };

const FEED_LIMIT = 10;

export default async function StudioPage() {
  const user = await requirePageUser("/");
  const { jobs } = await listJobs(user.id, { limit: FEED_LIMIT });
  return (
    <AppShell user={user} section="studio">
      <PageHeading title="Studio">Describe an image and watch it develop. Everything you make here is yours alone.</PageHeading>
      <Studio
        initialJobs={jobs}
        serverNow={Date.now()}
        feedLimit={FEED_LIMIT}
        styles={STYLES}
        qualities={QUALITIES}
        maxPromptLength={MAX_PROMPT_LENGTH}
        modelLabel={modelLabel(configuredModelId())}
      />
    </AppShell>
  );
}
