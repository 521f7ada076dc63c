// What the channel list shows of a target: a robot's key or token is a credential (its last four
// characters only), a webhook's path often carries one too; an e-mail address is shown whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskTarget } from '../src/views/platform/channels.js';

test("a robot's key shows only its last four characters", () => {
  assert.equal(maskTarget('wecom', '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa'), '••••5aaa');
  assert.equal(maskTarget('dingtalk', 'abcdef0123456789'), '••••6789');
  assert.equal(maskTarget('feishu', 'short-tok'), '••••-tok');
});

test("a webhook shows its origin and its address's last four characters, an e-mail all", () => {
  assert.equal(maskTarget('webhook', 'https://hooks.example.cn/in/secret-token?x=1234'), 'https://hooks.example.cn/…1234');
  assert.equal(maskTarget('webhook', 'https://h.cn/ab'), 'https://h.cn/ab'); // nothing to hide
  assert.equal(maskTarget('email', 'safety@example.cn'), 'safety@example.cn');
});
