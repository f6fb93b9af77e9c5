import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_INFLATED_BYTES, readInput } from '../../src/intake/reader.js';
import type { OkItem, ReadItem } from '../../src/model/item.js';
import { fixture, fixtureText } from '../fixtures/intake/load.js';

const bare = fixture('finding-instance-ssh-bruteforce.json');
const getFindings = fixture('getfindings-accesskey-pascal.json');
const scan = fixture('scan-result-threats-found.json');
const trailLog = fixture('cloudtrail-log-stoplogging.json');

function eventBridge(detail: unknown, detailType = 'GuardDuty Finding'): Record<string, unknown> {
  return {
    version: '0',
    id: 'c2f4e6a8-0b1d-4f3e-9a5c-7e9b1d3f5a71',
    'detail-type': detailType,
    source: 'aws.guardduty',
    account: '999988887777',
    time: '2025-06-10T08:47:09Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

function snsRecord(message: string): Record<string, unknown> {
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: 'arn:aws:sns:eu-west-1:999988887777:guardduty-findings:0f3b5d7e-9a1c-4e2b-8d6f-1a3c5e7b9d20',
    Sns: { Type: 'Notification', MessageId: '6d1f3b5a-7c9e-4a2b-8f0d-3e5a7c9b1d4f', Subject: null, Message: message },
  };
}

function read(value: unknown, file = 'input.json'): ReadItem[] {
  return readInput(JSON.stringify(value), file);
}

function oks(items: ReadItem[]): OkItem[] {
  return items.filter((i): i is OkItem => i.status === 'ok');
}

function fates(items: ReadItem[]): string[] {
  return items.map((i) => (i.status === 'ok' ? `ok:${i.kind}:${i.origin.wrapper}` : `${i.status}:${i.origin.wrapper}`));
}

function reasons(items: ReadItem[]): string[] {
  return items.map((i) => (i.status === 'ok' ? '' : i.reason));
}

describe('readInput: GuardDuty wrappers', () => {
  it('reads a bare camelCase finding as-is', () => {
    const items = read(bare);
    expect(fates(items)).toEqual(['ok:guardduty-finding:finding']);
    expect(oks(items)[0]?.doc).toEqual(bare);
    expect(items[0]?.origin).toEqual({ file: 'input.json', index: 0, wrapper: 'finding' });
  });

  it('reads GetFindings output and camelizes its keys', () => {
    const items = read(getFindings);
    expect(fates(items)).toEqual(['ok:guardduty-finding:get-findings']);
    const doc = oks(items)[0]?.doc;
    expect(doc?.id).toBe('9f8e7d6c5b4a39281706f5e4d3c2b1a0');
    expect(doc?.accountId).toBe('444455556666');
    expect((doc?.resource as Record<string, unknown>).resourceType).toBe('AccessKey');
    expect(doc).not.toHaveProperty('Id');
  });

  it('reads a single PascalCase finding outside the Findings list', () => {
    const single = (getFindings.Findings as unknown[])[0];
    expect(fates(read(single))).toEqual(['ok:guardduty-finding:get-findings']);
  });

  it('reads a JSON array of bare findings, one item per element in order', () => {
    const second = { ...bare, id: '5bd7f2e3c4a05d6e9b8f7e6d5c4b3a29' };
    const items = read([bare, second]);
    expect(oks(items).map((i) => i.doc.id)).toEqual([bare.id, second.id]);
    expect(items.map((i) => i.origin.index)).toEqual([0, 1]);
  });

  it('unwraps an EventBridge envelope and keeps the envelope beside the finding', () => {
    const items = read(eventBridge(bare));
    expect(fates(items)).toEqual(['ok:guardduty-finding:eventbridge']);
    expect(oks(items)[0]?.doc).toEqual(bare);
    expect(oks(items)[0]?.envelope).toEqual({
      id: 'c2f4e6a8-0b1d-4f3e-9a5c-7e9b1d3f5a71',
      account: '999988887777',
      region: 'eu-west-1',
      time: '2025-06-10T08:47:09Z',
      detailType: 'GuardDuty Finding',
    });
  });

  it('unwraps an array of EventBridge envelopes', () => {
    const items = read([eventBridge(bare), eventBridge({ ...bare, id: 'aa00' })]);
    expect(fates(items)).toEqual(['ok:guardduty-finding:eventbridge', 'ok:guardduty-finding:eventbridge']);
  });

  it('unwraps SNS records whose Message is a JSON string and rejects a non-JSON Message without losing the rest', () => {
    const items = read({ Records: [snsRecord('GuardDuty says hello'), snsRecord(JSON.stringify(eventBridge(bare)))] });
    expect(fates(items)).toEqual(['rejected:sns', 'ok:guardduty-finding:sns']);
    expect(reasons(items)[0]).toMatch(/^SNS Message is not JSON: /);
    expect(items[0]?.status === 'rejected' && items[0].doc).toBe('GuardDuty says hello');
    expect(oks(items)[0]?.envelope?.account).toBe('999988887777');
  });

  it('unwraps SQS records whose body is an EventBridge event', () => {
    const record = { messageId: '1d3f5a7c-9e1b-4d2f-8a6c-0e2b4d6f8a1c', eventSource: 'aws:sqs', body: JSON.stringify(eventBridge(bare)) };
    expect(fates(read({ Records: [record] }))).toEqual(['ok:guardduty-finding:sqs']);
  });

  it('reads an empty findings list as zero items', () => {
    expect(read({ findings: [] })).toEqual([]);
    expect(read({ Findings: [] })).toEqual([]);
  });
});

describe('readInput: text, bytes and JSON lines', () => {
  it('reads JSON lines, rejecting the bad line with its line number', () => {
    const text = [JSON.stringify(bare), '{"id": "broken', JSON.stringify(eventBridge(bare))].join('\n');
    const items = readInput(text, 'export.jsonl');
    expect(fates(items)).toEqual(['ok:guardduty-finding:s3-export', 'rejected:s3-export', 'ok:guardduty-finding:eventbridge']);
    expect(reasons(items)[1]).toMatch(/^line 2 is not JSON: /);
  });

  it('reads gzipped bytes', () => {
    const gz = gzipSync(Buffer.from([JSON.stringify(bare), JSON.stringify(bare)].join('\n')));
    expect(fates(readInput(gz, 'export.jsonl.gz'))).toEqual(['ok:guardduty-finding:s3-export', 'ok:guardduty-finding:s3-export']);
  });

  it('strips a byte-order mark from text and from bytes', () => {
    const text = '\uFEFF' + JSON.stringify(bare);
    expect(fates(readInput(text, 'bom.json'))).toEqual(['ok:guardduty-finding:finding']);
    expect(fates(readInput(Buffer.from(text, 'utf8'), 'bom.json'))).toEqual(['ok:guardduty-finding:finding']);
  });

  it('reads empty and whitespace-only input as zero items', () => {
    expect(readInput('', 'empty.json')).toEqual([]);
    expect(readInput(Buffer.alloc(0), 'empty.json')).toEqual([]);
    expect(readInput(' \n\t\n', 'blank.json')).toEqual([]);
  });

  it('rejects garbage with the parser error and keeps the text', () => {
    const items = readInput('<html>502 Bad Gateway</html>', 'http');
    expect(fates(items)).toEqual(['rejected:unknown']);
    expect(reasons(items)[0]).toMatch(/^not JSON: /);
    expect(items[0]?.status === 'rejected' && items[0].doc).toBe('<html>502 Bad Gateway</html>');
  });

  it('rejects a truncated gzip stream instead of throwing', () => {
    const gz = gzipSync(Buffer.from(JSON.stringify(bare)));
    const items = readInput(gz.subarray(0, 20), 'cut.json.gz');
    expect(fates(items)).toEqual(['rejected:unknown']);
    expect(reasons(items)[0]).toMatch(/^cannot decompress input: /);
  });

  it('rejects JSON scalars and null', () => {
    expect(reasons(readInput('42', 'n.json'))).toEqual(['expected a JSON object, got number']);
    expect(reasons(readInput('null', 'n.json'))).toEqual(['expected a JSON object, got null']);
    expect(reasons(read([bare, 'x']))).toEqual(['', 'expected a JSON object, got string']);
  });
});

describe('readInput: what is not a finding', () => {
  it('rejects a fragment that has finding parts but no id or type, naming what is missing', () => {
    const fragment = { Resource: { ResourceType: 'EKSCluster' }, SchemaVersion: '2.0' };
    const items = read(fragment);
    expect(fates(items)).toEqual(['rejected:get-findings']);
    expect(reasons(items)).toEqual(['GuardDuty finding fragment: missing id and type']);
    const { id: _id, ...noId } = bare;
    expect(reasons(read(noId))).toEqual(['GuardDuty finding fragment: missing id']);
  });

  it('rejects an object that is nothing we know, listing its first keys', () => {
    expect(reasons(read({ hello: 'world', n: 1 }))).toEqual([
      'not a GuardDuty finding, EventBridge event or CloudTrail record (keys: hello, n)',
    ]);
  });

  it('reads a scan result with THREATS_FOUND as a malware-scan item', () => {
    const items = read(scan);
    expect(fates(items)).toEqual(['ok:malware-scan:eventbridge']);
    expect(oks(items)[0]?.envelope?.detailType).toBe('GuardDuty Malware Protection Object Scan Result');
  });

  it('ignores a clean scan result with the reason', () => {
    const detail = { ...(scan.detail as object), scanResultDetails: { scanResultStatus: 'NO_THREATS_FOUND', threats: null } };
    const items = read({ ...scan, detail });
    expect(fates(items)).toEqual(['ignored:eventbridge']);
    expect(reasons(items)).toEqual(['Malware Protection scan result is clean (NO_THREATS_FOUND)']);
  });

  it('ignores other GuardDuty detail-types and foreign events', () => {
    const coverage = eventBridge({ clusterName: 'prod' }, 'GuardDuty Runtime Protection Unhealthy');
    const foreign = { ...eventBridge({ state: 'stopped' }, 'EC2 Instance State-change Notification'), source: 'aws.ec2' };
    const items = read([coverage, foreign]);
    expect(fates(items)).toEqual(['ignored:eventbridge', 'ignored:eventbridge']);
    expect(reasons(items)).toEqual([
      "GuardDuty event 'GuardDuty Runtime Protection Unhealthy' is not a finding",
      "not a GuardDuty or CloudTrail event (source 'aws.ec2', detail-type 'EC2 Instance State-change Notification')",
    ]);
  });

  it('rejects an envelope without a detail object', () => {
    expect(reasons(read(eventBridge('nope')))).toEqual(["EventBridge event 'GuardDuty Finding' has no detail object"]);
  });
});

describe('readInput: CloudTrail', () => {
  const records = trailLog.Records as Record<string, unknown>[];

  it('reads every record of a raw CloudTrail log file', () => {
    const items = read(trailLog, 'AWSLogs/111122223333/CloudTrail/eu-west-1/x.json');
    expect(fates(items)).toEqual(['ok:cloudtrail:cloudtrail-log', 'ok:cloudtrail:cloudtrail-log', 'ok:cloudtrail:cloudtrail-log']);
    expect(oks(items).map((i) => i.doc.eventName)).toEqual(['DescribeInstances', 'StopLogging', 'GetBucketAcl']);
  });

  it('reads a gzipped CloudTrail log file', () => {
    const items = readInput(gzipSync(Buffer.from(JSON.stringify(trailLog))), 'x.json.gz');
    expect(oks(items).map((i) => i.doc.eventID)).toEqual(records.map((r) => r.eventID));
  });

  it('reads CloudTrail API calls and console sign-ins delivered by EventBridge', () => {
    const call = { ...eventBridge(records[1], 'AWS API Call via CloudTrail'), source: 'aws.cloudtrail' };
    const signin = { ...eventBridge({ eventName: 'ConsoleLogin' }, 'AWS Console Sign In via CloudTrail'), source: 'aws.signin' };
    const items = read([call, signin]);
    expect(fates(items)).toEqual(['ok:cloudtrail:eventbridge', 'ok:cloudtrail:eventbridge']);
    expect(oks(items)[0]?.doc).toEqual(records[1]);
  });

  it('treats a bare array of CloudTrail records as one log file', () => {
    expect(fates(read(records))).toEqual(['ok:cloudtrail:cloudtrail-log', 'ok:cloudtrail:cloudtrail-log', 'ok:cloudtrail:cloudtrail-log']);
  });

  it('keeps a mixed array item by item', () => {
    const finding = { id: 'f1', type: 'Recon:EC2/Portscan', schemaVersion: '2.0' };
    expect(fates(read([records[0], finding]))).toEqual(['ok:cloudtrail:cloudtrail-record', 'ok:guardduty-finding:finding']);
  });

  it('reads a lone CloudTrail record', () => {
    expect(fates(read(records[0]))).toEqual(['ok:cloudtrail:cloudtrail-record']);
  });
});

describe('readInput: shared fixture files', () => {
  it('reads every fixture file without a rejected item', () => {
    for (const name of ['finding-instance-ssh-bruteforce.json', 'getfindings-accesskey-pascal.json', 'scan-result-threats-found.json', 'cloudtrail-log-stoplogging.json']) {
      const items = readInput(fixtureText(name), name);
      expect(items.filter((i) => i.status !== 'ok'), name).toEqual([]);
    }
  });
});

describe('fix: JSON lines with a broken first line or leading blank lines', () => {
  it('still reads the good lines when the first line is the broken one', () => {
    const text = ['{"id": "broken', JSON.stringify(bare), JSON.stringify(bare)].join('\n');
    const items = readInput(text, 'export.jsonl');
    expect(fates(items)).toEqual(['rejected:s3-export', 'ok:guardduty-finding:s3-export', 'ok:guardduty-finding:s3-export']);
    expect(reasons(items)[0]).toMatch(/^line 1 is not JSON: /);
  });

  it('numbers lines from the top of the input, counting leading blank lines and CRLF endings', () => {
    const text = ['', '', JSON.stringify(bare), 'oops', JSON.stringify(bare)].join('\r\n');
    const items = readInput(text, 'export.jsonl');
    expect(fates(items)).toEqual(['ok:guardduty-finding:s3-export', 'rejected:s3-export', 'ok:guardduty-finding:s3-export']);
    expect(reasons(items)[1]).toMatch(/^line 4 is not JSON: /);
  });

  it('still rejects a broken pretty-printed document as one item', () => {
    const pretty = JSON.stringify(bare, null, 2).replace('"schemaVersion"', 'schemaVersion');
    const items = readInput(pretty, 'broken.json');
    expect(fates(items)).toEqual(['rejected:unknown']);
    expect(reasons(items)[0]).toMatch(/^not JSON: /);
  });
});

describe('fix: the gzip bomb guard', () => {
  it('rejects input that inflates past the limit, naming the limit', () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(8 * 1024);
    const items = readInput(bomb, 'bomb.json.gz', { maxInflatedBytes: 1024 * 1024 });
    expect(fates(items)).toEqual(['rejected:unknown']);
    expect(reasons(items)).toEqual(['gzip input inflates beyond the 1048576-byte limit']);
  });

  it('applies a 64 MiB limit by default', () => {
    expect(MAX_INFLATED_BYTES).toBe(64 * 1024 * 1024);
    const bomb = gzipSync(Buffer.alloc(MAX_INFLATED_BYTES + 1, 0x20));
    expect(reasons(readInput(bomb, 'bomb.json.gz'))).toEqual([`gzip input inflates beyond the ${MAX_INFLATED_BYTES}-byte limit`]);
  });

  it('reads input that inflates to exactly the limit', () => {
    const text = JSON.stringify(bare);
    const gz = gzipSync(Buffer.from(text));
    expect(fates(readInput(gz, 'ok.json.gz', { maxInflatedBytes: text.length }))).toEqual(['ok:guardduty-finding:finding']);
    expect(fates(readInput(gz, 'ok.json.gz', { maxInflatedBytes: text.length - 1 }))).toEqual(['rejected:unknown']);
  });
});

describe('fix: SNS notifications delivered as the message itself', () => {
  const notification = (message: string) => ({
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: 'arn:aws:sns:eu-west-1:999988887777:guardduty-findings',
    Message: message,
    Timestamp: '2025-06-10T08:47:10.112Z',
    SignatureVersion: '1',
  });

  it('unwraps the SNS notification an SQS queue receives without raw message delivery', () => {
    const record = { messageId: '1d3f5a7c', eventSource: 'aws:sqs', body: JSON.stringify(notification(JSON.stringify(eventBridge(bare)))) };
    const items = read({ Records: [record] });
    expect(fates(items)).toEqual(['ok:guardduty-finding:sns']);
    expect(oks(items)[0]?.doc.id).toBe(bare.id);
  });

  it('unwraps an SNS notification posted on its own, and rejects one whose Message is not JSON', () => {
    expect(fates(read(notification(JSON.stringify(eventBridge(bare)))))).toEqual(['ok:guardduty-finding:sns']);
    expect(reasons(read(notification('plain text')))[0]).toMatch(/^SNS Message is not JSON: /);
  });
});

describe('fix: look-alikes of CloudTrail records and SNS control messages', () => {
  it('ignores S3 event notifications instead of reading them as CloudTrail records', () => {
    const s3 = {
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'eu-west-1', eventTime: '2025-06-12T09:05:40.000Z', eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: 'acme-customer-uploads' }, object: { key: 'incoming/a.pdf', size: 1024 } },
    };
    const items = read({ Records: [s3, (trailLog.Records as unknown[])[1]] });
    expect(fates(items)).toEqual(['ignored:unknown', 'ok:cloudtrail:cloudtrail-log']);
    expect(reasons(items)[0]).toBe("'aws:s3' event notification, not a CloudTrail record");
  });

  it('reads console actions delivered by EventBridge as CloudTrail', () => {
    const action = { ...eventBridge((trailLog.Records as unknown[])[0], 'AWS Console Action via CloudTrail'), source: 'aws.ec2' };
    expect(fates(read(action))).toEqual(['ok:cloudtrail:eventbridge']);
  });

  it('ignores an SNS subscription confirmation with the reason', () => {
    const confirm = { Type: 'SubscriptionConfirmation', TopicArn: 'arn:aws:sns:eu-west-1:999988887777:guardduty-findings', Token: 't', SubscribeURL: 'https://sns.invalid/' };
    const items = read(confirm);
    expect(fates(items)).toEqual(['ignored:sns']);
    expect(reasons(items)).toEqual(['SNS SubscriptionConfirmation for arn:aws:sns:eu-west-1:999988887777:guardduty-findings: nothing to triage']);
  });
});

describe('fix: PascalCase map keys are data, not schema', () => {
  it('keeps AffectedResources keys verbatim, as the camelCase export has them', () => {
    const doc = oks(read(getFindings))[0]?.doc;
    const action = (doc?.service as { action: { awsApiCallAction: Record<string, unknown> } }).action.awsApiCallAction;
    expect(action.affectedResources).toEqual({ 'AWS::IAM::User': 'arn:aws:iam::444455556666:user/deploy-bot' });
    expect(action.remoteIpDetails).toHaveProperty('ipAddressV4', '203.0.113.150');
  });
});

describe('fix: CloudTrail Insights events', () => {
  it('reads an Insights record, alone and in a log file', () => {
    const insight = fixture('cloudtrail-insight-error-rate.json');
    expect(fates(read(insight))).toEqual(['ok:cloudtrail:cloudtrail-record']);
    expect(fates(read({ Records: [insight] }))).toEqual(['ok:cloudtrail:cloudtrail-log']);
  });
});
