import { maskName, maskPhone } from '../case/case-view.ts';

/** A staff member a delivery names (the handlers or recipients of an event). */
export interface WebhookContact {
  id: string;
  name: string | null;
  role: string;
  phone: string | null;
}

/**
 * The personal part of a delivery, kept apart from the payload (encrypted) and merged into `data` when sending:
 * the staff the event concerns, or the reporter a reply goes to.
 */
export interface WebhookPersonal {
  recipients?: WebhookContact[];
  reporter?: { name: string | null; phone: string | null };
}

/**
 * The same with every name and phone number masked (138****5678, 张*) — what an endpoint without the personal-data
 * flag receives. Masking a masked value changes nothing, so it is safe to apply at enqueue and again at sending.
 */
export function maskPersonal(p: WebhookPersonal): WebhookPersonal {
  return {
    ...(p.recipients
      ? { recipients: p.recipients.map((r) => ({ ...r, name: maskName(r.name), phone: maskPhone(r.phone) })) }
      : {}),
    ...(p.reporter
      ? { reporter: { name: maskName(p.reporter.name), phone: maskPhone(p.reporter.phone) } }
      : {}),
  };
}
