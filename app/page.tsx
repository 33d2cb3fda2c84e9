import type { Metadata } from "next";
import { AppShell, PageHeading } from "@/app/_components/app-shell";
import { modelLabel } from "@/app/_components/format";
import { requirePageUser } from "@/app/_components/session";
import { Studio } from "@/app/_components/studio/studio";
import { settingsFromQuery } from "@/lib/client/settings";
import { configuredModelId } from "@/lib/generation/models";
import { MAX_PROMPT_LENGTH, QUALITIES, STYLES } from "@/lib/jobs/input";
import { listJobs } from "@/lib/jobs/service";
import { listModels } from "@/lib/models/service";

export const metadata: Metadata = { title: "Studio" };

const FEED_LIMIT = 10;

export default async function StudioPage({ searchParams }: PageProps<"/">) {
  const user = await requirePageUser("/");
  const [{ jobs }, { models }] = await Promise.all([listJobs(user.id, { limit: FEED_LIMIT }), listModels(user)]);
  // "Use these settings" arrives as query parameters; the form only pre-fills, the server re-checks.
  const initial = settingsFromQuery(await searchParams);
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
        models={models}
        initial={initial}
      />
    </AppShell>
  );
}
