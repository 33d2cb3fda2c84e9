// A counting semaphore with a bounded wait queue: at most `limit` tasks run at
// once, at most `queue` wait, and anything beyond is refused at once (the caller
// answers 503) instead of piling up. Used to keep Argon2 from taking every core.

export class QueueFullError extends Error {
  constructor() {
    super("semaphore queue is full");
    this.name = "QueueFullError";
  }
}

export class Semaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly limit: number,
    private readonly queue: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.queue) throw new QueueFullError();
      // The slot is handed over by release(), so `running` already counts us.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
