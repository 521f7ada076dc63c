// One edit form for the admin's records (zones, posts, users): a list of field specs, the record
// from GET `path`, and on save a PATCH of only the fields that changed, so a change to the
// radius never re-sends (and re-judges) the head, and the admin log records what really changed.
import { useEffect, useState } from 'preact/hooks';
import { get, patch } from '../api.js';
import { t } from '../i18n/index.js';
import { problemText } from '../problems.js';
import { html } from './html.js';
import { ErrorNote, Field, Loading, Note, fieldErrors } from './kit.js';

/** The form's value of a record's field: inputs hold text, switches booleans. */
function toForm(spec, record) {
  const value = spec.get ? spec.get(record) : record[spec.name];
  if (spec.type === 'switch') return Boolean(value);
  if (spec.type === 'lines') return (value || []).map(spec.show || String).join('\n');
  return value === null || value === undefined ? '' : String(value);
}

/** The JSON the API takes for a form value ('' is null where the field may be empty). */
function toBody(spec, value) {
  switch (spec.type) {
    case 'switch':
      return value;
    case 'lines':
      return value.split('\n').map((line) => line.trim()).filter(Boolean).map(spec.read || String);
    case 'number':
    case 'id': {
      if (value.trim() === '') return null;
      // Not a number: sent as typed, for the server to say what is wrong with it.
      return Number.isNaN(Number(value)) ? value : Number(value);
    }
    default:
      return value === '' && spec.optional ? null : value;
  }
}

function Input({ spec, value, set }) {
  const onInput = (event) => set(event.target.value);
  if (spec.type === 'textarea' || spec.type === 'lines') {
    return html`<textarea name=${spec.name} rows=${spec.rows || 3} maxlength=${spec.max} value=${value} onInput=${onInput}></textarea>`;
  }
  if (spec.type === 'id' || spec.type === 'choice') {
    return html`<select name=${spec.name} value=${value} onChange=${onInput}>
      ${spec.optional && html`<option value=""></option>`}
      ${spec.options.map((option) => html`<option key=${option.value} value=${option.value}>${option.label}</option>`)}
    </select>`;
  }
  const numeric = spec.type === 'number';
  return html`<input name=${spec.name} type=${numeric ? 'text' : spec.inputType || 'text'} inputmode=${numeric ? spec.inputMode || 'decimal' : undefined}
    maxlength=${spec.max} value=${value} onInput=${onInput} />`;
}

/** The record at `path` (fetched unless the caller has it: `given`) as a form of `fields`;
 * `onSaved(record)` after a PATCH succeeds. */
export function EditForm({ path, fields, given, onSaved }) {
  const [record, setRecord] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [form, setForm] = useState({});
  const [errors, setErrors] = useState({});
  const [note, setNote] = useState(null);
  const [busy, setBusy] = useState(false);
  function show(answer) {
    setRecord(answer);
    setForm(Object.fromEntries(fields.map((spec) => [spec.name, toForm(spec, answer)])));
  }
  useEffect(() => {
    if (given) show(given);
    else get(path).then(show, setLoadError);
  }, [path]);
  if (loadError) return html`<${ErrorNote} error=${loadError} />`;
  if (!record) return html`<${Loading} />`;
  const changes = () => {
    const body = {};
    for (const spec of fields) {
      const value = toBody(spec, form[spec.name]);
      if (JSON.stringify(value) !== JSON.stringify(toBody(spec, toForm(spec, record)))) body[spec.name] = value;
    }
    return body;
  };
  async function save(event) {
    event.preventDefault();
    const body = changes();
    setErrors({});
    if (!Object.keys(body).length) return setNote({ tone: 'info', text: t('admin.nothing_changed') });
    setBusy(true);
    try {
      const answer = await patch(path, body);
      show(answer);
      setNote({ tone: 'success', text: t('admin.saved') });
      onSaved?.(answer);
    } catch (caught) {
      setErrors(fieldErrors(caught));
      setNote({ tone: 'error', text: problemText(caught) });
    } finally {
      setBusy(false);
    }
  }
  const set = (name) => (value) => setForm((f) => ({ ...f, [name]: value }));
  return html`<form class="form" onSubmit=${save} data-loaded="true">
    ${fields.map((spec) =>
      spec.type === 'switch'
        ? html`<label class="switch" key=${spec.name}><input type="checkbox" name=${spec.name} checked=${form[spec.name]} onChange=${(e) => set(spec.name)(e.target.checked)} /><span>${spec.label}</span></label>
            ${errors[spec.name] && html`<span class="field-error" role="alert">${errors[spec.name]}</span>`}`
        : html`<${Field} key=${spec.name} label=${spec.label} hint=${spec.hint} error=${errors[spec.name]}>
            <${Input} spec=${spec} value=${form[spec.name]} set=${set(spec.name)} />
          <//>`,
    )}
    ${note && html`<${Note} tone=${note.tone}>${note.text}<//>`}
    <button class="button primary big" disabled=${busy}>${t('common.save')}</button>
  </form>`;
}
