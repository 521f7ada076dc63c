// Admin: where each unit's notifications also go outside the app (issue 17) — WeCom, DingTalk
// and Feishu group robots, e-mail, a webhook — which kinds of message, and whether as a daily
// digest. A unit's channels also get the messages of the units below it (the server decides).
import { patch } from '../../api.js';
import { CHANNEL_KINDS, NOTIFICATION_KINDS, ROBOT_CHANNELS, SIGNED_CHANNELS } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { problemText } from '../../problems.js';
import { showToast } from '../../store.js';
import { notReady, useApi } from '../../ui/data.js';
import { EditForm } from '../../ui/edit-form.js';
import { html } from '../../ui/html.js';
import { Empty, Note, Section } from '../../ui/kit.js';

const VISIBLE_END = 4;

/** The target as the list shows it: a robot key's last 4 characters, a webhook's address
 * without its path (which often carries a token), an e-mail address whole. */
export function maskTarget(kind, target) {
  if (ROBOT_CHANNELS.includes(kind)) return `••••${target.slice(-VISIBLE_END)}`;
  if (kind === 'webhook') {
    const origin = target.match(/^https?:\/\/[^/?#]+/i)?.[0] || '';
    return target.length > origin.length + VISIBLE_END ? `${origin}/…${target.slice(-VISIBLE_END)}` : target;
  }
  return target;
}

const kindOptions = () => NOTIFICATION_KINDS.map((kind) => ({ value: kind, label: t(`channel.notify.${kind}`) }));

/** The fields an admin sets on a channel; `kind` only when adding one. */
function channelFields(units, adding) {
  const unitOptions = units.map((unit) => ({ value: String(unit.id), label: unit.name }));
  return [
    ...(adding
      ? [
          { name: 'unit_id', label: t('admin.unit'), type: 'id', optional: true, options: unitOptions },
          { name: 'kind', label: t('channel.kind'), type: 'choice', options: CHANNEL_KINDS.map((kind) => ({ value: kind, label: t(`channel.kind.${kind}`) })) },
        ]
      : [{ name: 'unit_id', label: t('admin.unit'), type: 'id', options: unitOptions }]),
    { name: 'name', label: t('channel.name'), max: 100 },
    { name: 'target', label: t('channel.target'), max: 500, hint: (values) => t(`channel.target_hint.${values.kind}`) },
    {
      name: 'secret', label: t('channel.secret'), type: 'secret', max: 200, when: (values) => SIGNED_CHANNELS.includes(values.kind),
      hint: (values) => t(`channel.secret_hint.${values.kind}`),
    },
    { name: 'kinds', label: t('channel.kinds'), type: 'checks', hint: t('channel.kinds_hint'), options: kindOptions() },
    { name: 'digest_at', label: t('channel.digest_at'), inputType: 'time', optional: true, hint: t('channel.digest_hint') },
    { name: 'active', label: t('admin.in_use'), type: 'switch' },
  ];
}

function ChannelRow({ channel, reload }) {
  async function toggle() {
    try {
      await patch(`/channels/${channel.id}`, { active: !channel.active });
      reload();
    } catch (caught) {
      showToast(problemText(caught), 'error');
    }
  }
  const some = channel.kinds.length && channel.kinds.length < NOTIFICATION_KINDS.length;
  const kinds = some ? t('channel.kinds_n', { n: channel.kinds.length }) : t('channel.kinds_all');
  const when = channel.digest_at ? t('channel.digest_daily', { time: channel.digest_at }) : t('channel.each');
  return html`<li class="channel" data-channel=${channel.id}>
    <span class="channel-main">
      <span><strong>${channel.name}</strong> <span class="badge">${t(`channel.kind.${channel.kind}`)}</span>
        ${!channel.active && html` <span class="badge">${t('admin.inactive')}</span>`}</span>
      <span class="muted small channel-target">${maskTarget(channel.kind, channel.target)}</span>
      <span class="muted small">${kinds} · ${when}</span>
    </span>
    <span class="actions-row">
      <a class="button small" href=${`/admin/channels/${channel.id}`}>${t('admin.edit')}</a>
      <button class="button small" onClick=${toggle}>${channel.active ? t('admin.deactivate') : t('admin.activate')}</button>
    </span>
  </li>`;
}

const BLANK = { unit_id: '', kind: 'wecom', name: '', target: '', kinds: [], digest_at: null, active: true };

export function AdminChannels() {
  const units = useApi('/units');
  const channels = useApi('/channels');
  const waiting = notReady(units, channels);
  if (waiting) return waiting;
  const items = channels.data.items;
  const groups = units.data.items.map((unit) => [unit, items.filter((c) => c.unit_id === unit.id)]).filter(([, list]) => list.length);
  return html`<${Note}>${t('channel.intro')}<//>
    <a class="button block" href="/admin/deliveries">${t('delivery.title')}</a>
    ${!items.length && html`<${Empty} text=${t('channel.none')} />`}
    ${groups.map(
      ([unit, list]) => html`<${Section} key=${unit.id} title=${unit.name}>
        <ul class="rows">${list.map((channel) => html`<${ChannelRow} key=${channel.id} channel=${channel} reload=${channels.reload} />`)}</ul>
      <//>`,
    )}
    <details class="section"><summary class="button block">${t('channel.add')}</summary>
      <${EditForm} create path="/channels" given=${BLANK} fields=${channelFields(units.data.items, true)} onSaved=${channels.reload} />
    </details>`;
}

export function ChannelEdit({ id }) {
  const units = useApi('/units');
  const channels = useApi('/channels');
  const waiting = notReady(units, channels);
  if (waiting) return waiting;
  const channel = channels.data.items.find((c) => c.id === Number(id));
  if (!channel) return html`<${Empty} text=${t('channel.not_found')} />`;
  const fields = channelFields(units.data.items, false).map((spec) =>
    spec.name === 'secret' && channel.has_secret ? { ...spec, placeholder: t('channel.secret_kept') } : spec,
  );
  return html`<p class="code">${t(`channel.kind.${channel.kind}`)}</p>
    <${EditForm} path=${`/channels/${id}`} given=${channel} fields=${fields} />`;
}
