import type { HistoryPosition } from '../../src/picture/history-position.js';

export interface PlaybackOptions {
  /** Loads the stored positions of the window in the current view. */
  readonly load: (
    fromMs: number,
    toMs: number,
  ) => Promise<{ positions: HistoryPosition[]; cut: boolean }>;
  readonly pictureTimeMs: () => number;
  readonly onChange: () => void;
}

/** How long "play" takes to run through the window, ms of wall time. */
const PLAY_DURATION_MS = 10_000;

/**
 * History playback (issue 15): a time window from Postgres, drawn up to the slider's time; "play"
 * moves the slider through the window, "Live" puts the map back to the live picture.
 */
export class Playback {
  private positions: HistoryPosition[] = [];
  private fromMs = 0;
  private toMs = 0;
  private playing: number | undefined;
  private readonly from = input('playback-from');
  private readonly to = input('playback-to');
  private readonly slider = input('playback-time');
  private readonly label = document.getElementById('playback-label')!;
  private readonly play = document.getElementById('playback-play') as HTMLButtonElement;
  private readonly clear = document.getElementById('playback-clear') as HTMLButtonElement;

  constructor(private readonly options: PlaybackOptions) {
    document
      .getElementById('playback-load')!
      .addEventListener('click', () => void this.loadWindow());
    this.slider.addEventListener('input', () => this.changed());
    this.play.addEventListener('click', () => this.togglePlay());
    this.clear.addEventListener('click', () => this.reset());
    this.from.addEventListener('focus', () => this.defaultWindow(), { once: true });
  }

  /** Positions up to the slider's time. */
  visible(): HistoryPosition[] {
    if (this.positions.length === 0) return [];
    const until = this.fromMs + ((this.toMs - this.fromMs) * Number(this.slider.value)) / 1000;
    let end = 0;
    while (end < this.positions.length && this.positions[end]!.time <= until) end++;
    return end === this.positions.length ? this.positions : this.positions.slice(0, end);
  }

  private defaultWindow(): void {
    if (this.from.value !== '' && this.to.value !== '') return;
    const now = this.options.pictureTimeMs() || Date.now();
    this.to.value = local(now + 60_000);
    this.from.value = local(now - 3_600_000);
  }

  private async loadWindow(): Promise<void> {
    this.defaultWindow();
    const fromMs = new Date(this.from.value).getTime();
    const toMs = new Date(this.to.value).getTime();
    if (!(fromMs < toMs)) {
      this.label.textContent = 'from must be before to';
      return;
    }
    this.label.textContent = 'loading…';
    try {
      const { positions, cut } = await this.options.load(fromMs, toMs);
      this.positions = positions;
      this.fromMs = fromMs;
      this.toMs = toMs;
      this.slider.disabled = this.play.disabled = this.clear.disabled = false;
      this.slider.value = '0';
      this.label.dataset.loaded = String(positions.length);
      this.label.textContent = `${positions.length} positions${cut ? ' (cut at the limit)' : ''}`;
    } catch (error) {
      this.label.textContent = (error as Error).message;
    }
    this.changed();
  }

  private togglePlay(): void {
    if (this.playing !== undefined) {
      cancelAnimationFrame(this.playing);
      this.playing = undefined;
      return;
    }
    const startValue = Number(this.slider.value) >= 1000 ? 0 : Number(this.slider.value);
    const started = performance.now() - (startValue / 1000) * PLAY_DURATION_MS;
    const step = (): void => {
      const value = Math.min(1000, ((performance.now() - started) / PLAY_DURATION_MS) * 1000);
      this.slider.value = String(Math.round(value));
      this.changed();
      this.playing = value < 1000 ? requestAnimationFrame(step) : undefined;
    };
    this.playing = requestAnimationFrame(step);
  }

  private reset(): void {
    if (this.playing !== undefined) cancelAnimationFrame(this.playing);
    this.playing = undefined;
    this.positions = [];
    this.slider.disabled = this.play.disabled = this.clear.disabled = true;
    this.label.textContent = '';
    this.changed();
  }

  private changed(): void {
    if (this.positions.length > 0) {
      const until = this.fromMs + ((this.toMs - this.fromMs) * Number(this.slider.value)) / 1000;
      this.label.textContent = `${new Date(until).toISOString().slice(0, 19).replace('T', ' ')} · ${this.visible().length} of ${this.positions.length} positions`;
    }
    this.options.onChange();
  }
}

function input(id: string): HTMLInputElement {
  return document.getElementById(id) as HTMLInputElement;
}

/** `datetime-local` text of an instant, in the browser's zone. */
function local(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
