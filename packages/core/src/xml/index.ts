// The XML reader the server and the device share (no DOM: it runs in workers and on Node).
export type { XmlLimits, XmlNode } from './xmlTree.js';
export {
  XmlLimitError,
  attribute,
  countByName,
  elementChildren,
  findAtPath,
  ownText,
  parseXml,
  textContent,
} from './xmlTree.js';
