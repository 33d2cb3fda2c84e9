// Every image of a finished job after the first (which the page shows large),
// and for each image its seed and two ways to save it: the clean file, or the
// file with its prompt and settings inside (AUTOMATIC1111's `parameters` chunk).
// Link names avoid the word "Download", which names the job's main download.
import type { PublicJob } from "@/lib/jobs/public";
import { FavouriteButton } from "./organise-actions";
import { link } from "./ui";

const seedOf = (job: PublicJob, index: number) => (job.seed === null ? null : (job.seed + index) % 2147483648);

export function ExtraImages({ job }: { job: PublicJob }) {
  const extra = job.images.slice(1);
  if (extra.length === 0) return null;
  return (
    <ul className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3" aria-label="More images of this job">
      {extra.map((image) => (
        <li key={image.image_id}>
          {/* biome-ignore lint/performance/noImgElement: private, owner-checked image route; never the optimizer */}
          <img
            src={image.url}
            alt={`${job.prompt} (image ${image.index + 1})`}
            width={image.width}
            height={image.height}
            className="block h-auto w-full rounded-lg"
            data-image-index={image.index}
            data-testid="job-extra-image"
          />
        </li>
      ))}
    </ul>
  );
}

export function ImageFiles({ job }: { job: PublicJob }) {
  if (job.images.length === 0) return null;
  return (
    <section aria-labelledby="image-files-heading" className="rounded-xl border border-line bg-surface px-4 py-3 text-sm">
      <h2 id="image-files-heading" className="font-medium">
        Files
      </h2>
      <p className="mt-0.5 text-xs text-muted">Saved files carry no prompt or settings unless you choose “with settings”.</p>
      <ul className="mt-2 divide-y divide-line" data-testid="image-files">
        {job.images.map((image) => {
          const seed = seedOf(job, image.index);
          return (
            <li key={image.image_id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-2">
              <span className="tabular-nums">
                Image {image.index + 1} · {image.width} × {image.height}
                {seed === null ? "" : ` · seed ${seed}`}
              </span>
              <span className="flex flex-wrap items-center gap-4">
                <FavouriteButton imageId={image.image_id} favourite={image.favourite} label={`image ${image.index + 1}`} />
                <a href={`${image.url}?download=1`} download className={link}>
                  Save image {image.index + 1}
                </a>
                <a href={`${image.url}?download=1&parameters=1`} download className={link}>
                  Save image {image.index + 1} with settings
                </a>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
