import './base.css';
import './center.css';
import './series.css';
