import type { PictureAlert } from '../../src/picture/picture-alert.js';

/** An acknowledgement as the API returns it. */
export interface Acknowledgement {
  readonly alertId: string;
  readonly alertRevision: number;
  readonly acknowledgedBy: string;
  readonly acknowledgedAt: number;
}

export interface AlertPanelOptions {
  readonly onSelect: (alert: PictureAlert) => void;
  readonly onAcknowledge: (alert: PictureAlert, by: string) => Promise<Acknowledgement>;
  readonly onChange: () => void;
}

const MAX_LISTED = 500;

/**
 * The live alert list (issue 15): the latest revision of each alert (a revision replaces its
 * entry), newest first, filtered by kind and zone; a click flies to it; "Acknowledge" stores who
 * and when through the API, and the list shows the acknowledgement in force.
 */
export class AlertPanel {
  readonly alerts = new Map<string, PictureAlert>();
  readonly acknowledgements = new Map<string, Acknowledgement>();
  private readonly list = document.getElementById('alert-list') as HTMLUListElement;
  private readonly kind = document.getElementById('alert-kind') as HTMLSelectElement;
  private readonly zone = document.getElementById('alert-zone') as HTMLSelectElement;
  private readonly name = document.getElementById('ack-name') as HTMLInputElement;
  private readonly count = document.getElementById('alert-count') as HTMLElement;

  constructor(private readonly options: AlertPanelOptions) {
    this.name.value = localStorage.getItem('tidewatch.ackName') ?? '';
    this.name.addEventListener('change', () =>
      localStorage.setItem('tidewatch.ackName', this.name.value.trim()),
    );
    this.kind.addEventListener('change', () => this.changed());
    this.zone.addEventListener('change', () => this.changed());
  }

  /** A revision from the socket or the initial list: replaces the entry of the same id. */
  upsert(alert: PictureAlert): void {
    const held = this.alerts.get(alert.id);
    if (held !== undefined && held.revision >= alert.revision) return;
    this.alerts.set(alert.id, alert);
  }

  /** Alerts that pass the filters, newest first. */
  visible(): PictureAlert[] {
    const kind = this.kind.value;
    const zone = this.zone.value;
    return [...this.alerts.values()]
      .filter((a) => (kind === '' || a.kind === kind) && (zone === '' || a.zoneId === zone))
      .sort((a, b) => b.start - a.start);
  }

  /** Ids acknowledged at their current revision. */
  acknowledged(): Set<string> {
    const ids = new Set<string>();
    for (const [id, ack] of this.acknowledgements) {
      if (ack.alertRevision >= (this.alerts.get(id)?.revision ?? Infinity)) ids.add(id);
    }
    return ids;
  }

  render(): void {
    this.refreshOptions(this.kind, (a) => a.kind);
    this.refreshOptions(this.zone, (a) => a.zoneId);
    const visible = this.visible();
    this.count.textContent = `(${visible.length})`;
    const acked = this.acknowledged();
    const items: HTMLLIElement[] = [];
    for (const alert of visible.slice(0, MAX_LISTED)) {
      items.push(this.item(alert, acked.has(alert.id)));
    }
    this.list.replaceChildren(...items);
  }

  private item(alert: PictureAlert, acked: boolean): HTMLLIElement {
    const li = document.createElement('li');
    li.dataset.alertId = alert.id;
    li.dataset.revision = String(alert.revision);
    li.classList.toggle('ended', alert.end !== undefined);
    li.classList.toggle('acked', acked);
    const other = alert.otherMmsi === undefined ? '' : ` & ${alert.otherMmsi}`;
    const zone = alert.zoneId === undefined ? '' : ` · ${alert.zoneId}`;
    const end = alert.end === undefined ? 'open' : `ended ${time(alert.end)}`;
    li.innerHTML = `<span class="kind"></span> <span class="who"></span><br><small class="when"></small>`;
    li.querySelector('.kind')!.textContent = alert.kind;
    li.querySelector('.who')!.textContent = `${alert.mmsi}${other}${zone}`;
    li.querySelector('.when')!.textContent =
      `${time(alert.start)} · ${end} · rev ${alert.revision}`;
    const ack = this.acknowledgements.get(alert.id);
    if (ack !== undefined) {
      const line = document.createElement('div');
      line.className = 'ack';
      line.textContent = `acknowledged by ${ack.acknowledgedBy} at ${time(ack.acknowledgedAt)} (rev ${ack.alertRevision})`;
      li.append(line);
    }
    if (!acked) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'acknowledge';
      button.textContent = 'Acknowledge';
      button.addEventListener('click', (event) => {
        event.stopPropagation();
        void this.acknowledge(alert);
      });
      li.append(' ', button);
    }
    li.addEventListener('click', () => this.options.onSelect(alert));
    return li;
  }

  private async acknowledge(alert: PictureAlert): Promise<void> {
    const by = this.name.value.trim();
    if (by === '') {
      this.name.focus();
      this.name.placeholder = 'your name, to acknowledge';
      return;
    }
    localStorage.setItem('tidewatch.ackName', by);
    const ack = await this.options.onAcknowledge(alert, by);
    this.acknowledgements.set(ack.alertId, ack);
    this.changed();
  }

  private changed(): void {
    this.render();
    this.options.onChange();
  }

  private refreshOptions(
    select: HTMLSelectElement,
    value: (a: PictureAlert) => string | undefined,
  ) {
    const values = new Set<string>();
    for (const alert of this.alerts.values()) {
      const v = value(alert);
      if (v !== undefined) values.add(v);
    }
    const have = new Set([...select.options].map((o) => o.value));
    for (const v of [...values].sort()) {
      if (!have.has(v)) select.append(new Option(v, v));
    }
  }
}

function time(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
