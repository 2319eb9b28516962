import './base.css';
import './center.css';
